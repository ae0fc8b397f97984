"""Framework-free adapter layer for the credit-bureau platforms. Imports no Django."""
