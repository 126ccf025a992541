"""Templates build a URL without arguments once per script root (issue 19);
every other URL is Flask's url_for."""
from __future__ import annotations

from flask import render_template_string, url_for


def test_a_url_without_arguments_is_kept_per_script_root(app):
    template = "{{ url_for('members.index') }}|{{ url_for('members.detail', member_id=7) }}"
    with app.test_request_context("/"):
        assert render_template_string(template) == "/members/|/members/7"
        assert app.extensions["coop.urls"][("", "members.index")] == "/members/"
    with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": "/coop"}):
        assert render_template_string(template) == "/coop/members/|/coop/members/7"
        assert url_for("members.index") == "/coop/members/"
    with app.test_request_context("/"):
        assert render_template_string(template) == "/members/|/members/7"


def test_the_menu_links_are_the_same_as_flasks(client, auth, staff):
    auth.login("admin")
    page = client.get("/members/").get_data(as_text=True)
    with client.application.test_request_context("/"):
        for endpoint in ("cooperatives.dashboard", "members.index", "shares.structure",
                         "dividends.index", "auth.users"):
            assert f'href="{url_for(endpoint)}"' in page
