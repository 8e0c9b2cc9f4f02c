"""Staff accounts, login and tokens, and API clients for channel gateways."""
