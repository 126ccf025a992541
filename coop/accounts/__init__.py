"""Member accounts (成员账户) of a farmers' specialized cooperative."""
