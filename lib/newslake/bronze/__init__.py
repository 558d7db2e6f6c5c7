"""Bronze: raw dumps -> traceable article records and a quarantine for bad ones."""
