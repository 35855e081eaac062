"""In a browser the secretary starts the year-end pack, watches its progress bar, downloads it and
submits it; the district admin then sees the branch among those that have submitted."""

import io
import time
import zipfile

import pytest

from zhibu.yearend import services
from zhibu.yearend.models import Submission

YEAR = 2026


@pytest.mark.browser
def test_build_watch_progress_download_submit_and_the_district_sees_it(
    live_cast, browser_page, login, settings, monkeypatch
):
    cast = live_cast
    settings.ZHIBU_JOBS_INLINE = False  # the real thing: a thread after commit, the page polling
    real = services.build_pack

    def slow(progress, **kwargs):  # the cast's pack is small: slow it down enough to see the bar move
        progress(1, 4, "正在整理组织生活")
        time.sleep(2.5)
        return real(progress, **kwargs)

    monkeypatch.setattr(services, "build_pack", slow)
    page = browser_page
    login(page, "secretary")
    page.goto(f"/o/{cast.branch.pk}/yearend/?year={YEAR}")
    page.click("#build")
    bar = page.locator("#job progress")
    bar.wait_for()
    page.wait_for_selector("#job .job-message:has-text('正在整理')")
    assert int(bar.get_attribute("value")) < 100
    page.wait_for_selector("#job-download", timeout=30_000)  # the poll reloads the page when it is done
    with page.expect_download() as info:
        page.click("#job-download")
    data = open(info.value.path(), "rb").read()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert any("工作总结" in n for n in archive.namelist())
    page.fill("input[name=note]", "请审阅")
    page.click("#submit")
    page.wait_for_selector("text=年终材料已报送上级党组织")
    assert page.locator("#submissions tbody tr").count() == 1
    sub = Submission.objects.get()
    assert sub.size == len(data) and sub.submitted_by == cast.secretary

    page.context.clear_cookies()
    login(page, "district")
    page.goto(f"/o/{cast.district.pk}/yearend/district/?year={YEAR}")
    row = page.locator("#district-table tr", has_text=cast.branch.name)
    assert "已报送" in row.inner_text()
    assert "未报送" in page.locator("#district-table tr", has_text=cast.other_branch.name).inner_text()
    assert page.locator("#total-submitted").inner_text() == "1"
