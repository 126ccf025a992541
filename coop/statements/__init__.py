"""Annual statements (年度股金分红对账单) and share certificates (股权证)."""
