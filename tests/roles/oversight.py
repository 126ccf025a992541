"""Role table of the township and county view: only an overseer reads it;
the staff and members of a cooperative get 403."""
OVERSEER = {"overseer": 200}

ROLE_TABLE = {
    "oversight.index": ("GET", "/oversight/", OVERSEER),
    "oversight.warnings": ("GET", "/oversight/warnings", OVERSEER),
    "oversight.county": ("GET", "/oversight/county", OVERSEER),
    "oversight.export": ("GET", "/oversight/export.xlsx", OVERSEER),
    # t1 lies in the overseer's township: chosen, then its home page
    "oversight.choose": ("GET", "/oversight/coops/t1", {"overseer": 302}),
}
