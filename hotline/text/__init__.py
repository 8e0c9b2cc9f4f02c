"""Chinese text: spoken numbers and numerals, and the masking of personal data."""
