"""Role table of the office's statement pages: every staff role reads and
prints; members have their own pages (tests/roles/portal.py) and get 403 here.

The batch PDF and job URLs name a year without a plan and a job that does not
exist, so the role test starts no background job (tests/test_statements_*.py
run real jobs).
"""
from tests.roles import STAFF
from tests.roles.portal import make_world

READ = {r: 200 for r in STAFF}
NOT_FOUND = {r: 404 for r in STAFF}

ROLE_TABLE = {
    "statements.index": ("GET", "/statements/", READ),
    "statements.statement": ("GET", "/statements/2025/members/{portal_own_member_id}", READ),
    "statements.statement_pdf": ("GET", "/statements/2025/members/{portal_own_member_id}.pdf",
                                 READ),
    "statements.batch": ("GET", "/statements/2025/print", READ),
    "statements.batch_pdf": ("POST", "/statements/2099/pdf", NOT_FOUND),
    "statements.certificate_pdf": ("GET", "/statements/certificates/{portal_own_member_id}.pdf",
                                   READ),
    "statements.certificates_pdf": ("GET", "/statements/certificates.pdf?on=2025-12-31", READ),
    "statements.job": ("GET", "/statements/jobs/0123456789abcdef", NOT_FOUND),
    "statements.job_download": ("GET", "/statements/jobs/0123456789abcdef/download", NOT_FOUND),
}


def role_fixture(app) -> dict:
    return make_world(app)
