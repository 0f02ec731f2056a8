"""An appeal from filing to the rating, in a real browser (phone-sized for the enterprise)."""

from __future__ import annotations

import pytest

from fugong.accounts.models import Role
from fugong.lib.testing import build_world, make_user
from tests.browser.conftest import login_as


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_appeal_goes_from_filing_to_the_rating(browser_page, phone_page, screenshot):
    from fugong.appeals.models import Appeal, RoutingRule
    from fugong.appeals.policies import DEFAULT_ROUTING
    from fugong.orgs.models import Department

    if not RoutingRule.objects.exists():  # a transactional test flushes migration data
        RoutingRule.objects.bulk_create(RoutingRule(**rule) for rule in DEFAULT_ROUTING)
    world = build_world()
    make_user("ent_admin", Role.ENTERPRISE_ADMIN, enterprise=world.enterprise)
    make_user("dept_rsj", Role.DEPARTMENT_OFFICER, department=Department.objects.get(code="rsj"))

    # The enterprise files on its phone.
    page = phone_page
    login_as(page, "ent_admin", "pw-ent_admin")
    page.goto(page.base_url + "/appeals/new/")
    page.select_option("select[name=category]", "labour")
    page.fill("input[name=title]", "节后缺普工150人")
    page.fill("textarea[name=detail]", "外省员工未能返岗")
    page.fill("input[name=quantity]", "150")
    page.click("[data-testid=submit-appeal]")
    page.wait_for_selector("[data-testid=appeal-title]")
    assert "节后缺普工150人" in page.inner_text("[data-testid=appeal-title]")
    assert "人力资源" in page.inner_text("[data-testid=department]")
    screenshot(page, "appeals-filed")
    appeal = Appeal.objects.get()

    # The department accepts and answers on a desktop.
    desk = browser_page
    login_as(desk, "dept_rsj", "pw-dept_rsj")
    desk.goto(desk.base_url + "/appeals/")
    desk.click(f"text=#{appeal.pk} 节后缺普工150人")
    desk.click("[data-testid=accept]")
    desk.fill("[data-testid=answer-text]", "已安排专场招聘会,推荐求职者160人")
    desk.click("[data-testid=answer-submit]")
    desk.wait_for_selector("[data-testid=answer]")
    assert "已答复" in desk.inner_text("[data-testid=status]")

    # Back on the phone, the enterprise reads the answer and rates it.
    page.goto(page.base_url + f"/appeals/{appeal.pk}/")
    assert "推荐求职者160人" in page.inner_text("[data-testid=answer]")
    page.check("[data-testid=rate-satisfied]")
    page.click("[data-testid=close]")
    page.wait_for_selector("[data-testid=rating]")
    assert "满意" in page.inner_text("[data-testid=rating]")
    history = page.inner_text("[data-testid=history]")
    for step in ("提交", "已受理", "已答复", "已办结"):
        assert step in history
    screenshot(page, "appeals-rated")
    appeal.refresh_from_db()
    assert appeal.status == "closed" and appeal.rating == "satisfied"
