"""The largest value every input accepts, in one place, so that each can be
checked against the column that stores it (tests/test_resilience_large_values.py).

A maximum is there to catch a typing error (an extra zero or three), far
above anything a county-size cooperative records, and far below what its
column holds: amounts, share counts and areas are 64-bit columns
(migrations 0008 and 0014), counts and days 32-bit.
Pure constants: no Flask, no database.
"""
from __future__ import annotations

INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1

# -- machinery ledger -------------------------------------------------------
MAX_AREA_CMU = 10_000_000        # 100,000 mu in one order (hundredths of a mu)
MAX_PRICE_FEN = 1_000_000        # 10,000 yuan per mu
MAX_ORDER_FEN = MAX_AREA_CMU * MAX_PRICE_FEN // 100  # 1,000,000,000 yuan: area x price at most
MAX_AMOUNT_FEN = 1_000_000_000   # 10 million yuan: one expense, income or machine's value
MAX_FUEL_CL = 10_000_000         # 100,000 litres in one order (hundredths of a litre)

# -- share register ---------------------------------------------------------
MAX_CONTRIBUTION_FEN = 100_000_000_000  # 1,000,000,000 yuan in one contribution
MAX_LAND_CMU = 10_000_000               # 100,000 mu in one land contribution
MAX_LAND_PRICE_FEN = 1_000_000          # 10,000 yuan per mu
MAX_LABOUR_DAYS = 10_000
MAX_DAY_PRICE_FEN = 1_000_000           # 10,000 yuan per day
MAX_SHARES = 10**15                     # shares moved by one transfer, redemption or inheritance

# -- charter ----------------------------------------------------------------
MAX_PAR_FEN = 100_000_000          # 1,000,000 yuan a share
MAX_GUARANTEE_FEN_PER_MU = 10_000_000  # 100,000 yuan per mu

# -- counts typed as whole numbers (households, votes, months) --------------
MAX_COUNT = 10**9
