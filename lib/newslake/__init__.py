"""newslake: a batch Spark lakehouse that turns raw news dumps into weekly sentiment by company,
country and ISO week (bronze -> silver -> gold Delta tables)."""

__version__ = "0.1.0"
