"""The reports keep no tables of their own: the credit-hour summary they read is the
ledger's (`ledger.CreditYear`)."""
