"""Machinery and the service ledger: machines, clients, service orders,
payments and receivables, expenses, other income, year close, reports."""
