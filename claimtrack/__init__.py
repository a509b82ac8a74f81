"""claimtrack: a ledger of claims, the sources they appear in, and how independently they are sourced."""

__version__ = "0.1.0"
