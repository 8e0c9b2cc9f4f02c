"""Settings, database, errors, clock, enums and YAML configuration shared by every process."""
