"""Gold: BI-ready weekly sentiment by company, country and ISO week."""
