from zhibu.approvals.tests.helpers import test_kind  # noqa: F401  (the fixture)
