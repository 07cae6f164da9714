"""Storage: tables, repositories, the unit of work and the ledger."""
