from sqlalchemy import select

from coop.auth.models import User
from coop.cooperatives.models import Cooperative
from coop.extensions import db


def test_init_command(runner):
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0 and "数据库已就绪" in result.output


def test_demo_loads_reference_cooperative_and_prints_login(app, runner, client, auth):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "shuji" in result.output and "wljs2023" in result.output
    with app.app_context():
        coop = db.session.scalar(select(Cooperative).where(Cooperative.code == "wljs"))
        assert coop.class_band("collective") == (6500, 6000, 7000)
        assert coop.class_band("villager")[0] == 3100 and coop.class_band("cadre")[0] == 400
        assert coop.par_value_fen == 100
    assert auth.login("shuji", "wljs2023", coop="wljs").status_code == 302
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 1 and "已存在" in again.output
    assert runner.invoke(args=["demo", "--if-empty"]).exit_code == 0


def test_create_coop_and_admin(app, runner, auth):
    result = runner.invoke(args=["create-coop", "xc", "--name", "新村合作社",
                                 "--credit-code", "93150203MA0LWJ3K0L", "--village", "新村",
                                 "--town", "某镇"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["create-admin", "--coop", "xc", "--username", "sj",
                                 "--name", "书记", "--password", "long-enough-1"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "sj"))
        assert user.role == "admin" and not user.must_change_password
    assert auth.login("sj", "long-enough-1", coop="xc").status_code == 302


def test_create_coop_refuses_bad_credit_code(runner, fingerprint):
    before = fingerprint()
    result = runner.invoke(args=["create-coop", "xc", "--name", "x", "--credit-code", "123",
                                 "--village", "v", "--town", "t"])
    assert result.exit_code == 1 and "统一社会信用代码应为 18 位" in result.output
    assert fingerprint() == before


def test_create_admin_refuses_weak_password_and_unknown_coop(runner, create_coop):
    create_coop("t1")
    result = runner.invoke(args=["create-admin", "--coop", "t1", "--username", "sj",
                                 "--name", "书记", "--password", "short"])
    assert result.exit_code == 1 and "密码至少 10 位" in result.output
    result = runner.invoke(args=["create-admin", "--coop", "nope", "--username", "sj",
                                 "--name", "书记", "--password", "long-enough-1"])
    assert result.exit_code == 1 and "没有代码为 nope 的合作社" in result.output
