"""Annual distribution (年度分配): surplus, funds, guaranteed payments and dividends."""
