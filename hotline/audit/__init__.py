"""The audit log: every change and every staff read of personal data (who, what, when, from where)."""
