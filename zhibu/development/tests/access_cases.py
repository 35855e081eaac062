import datetime as dt

PUBLIC: set[str] = set()


def make_candidate(cast):
    """A candidate of the cast's branch with one generated document (for the URLs that need ids)."""
    from zhibu.development import services
    from zhibu.development.models import Candidate

    existing = Candidate.objects.filter(branch=cast.branch).first()
    if existing is not None:
        return existing, existing.documents.first()
    person = next(p for p in cast.people if p.name == "陈老师")
    c = services.open_file(actor=None, branch=cast.branch, person=person, application_date=dt.date(2025, 3, 3))
    doc = services.save_document(actor=None, candidate=c, kind="other", name="申请书.docx", content=b"x", generated=False)
    return c, doc


def cases(cast):
    c, doc = make_candidate(cast)
    b = cast.branch.pk
    k = {"org_id": b, "candidate_id": c.pk}
    return {
        "development:board": {"org_id": b},
        "development:candidate_new": {"org_id": b},
        "development:candidate": k,
        "development:step": {**k, "step": "application_talk"},
        "development:submit": {**k, "step": "activist_filed"},
        "development:thought_report": k,
        "development:assessment": k,
        "development:generate": {**k, "kind": "publicity"},
        "development:upload": k,
        "development:document": {**k, "doc_id": doc.pk},
        "development:quota": {"org_id": b},
        "development:templates": {"org_id": b},
        "development:template_file": {"org_id": b, "kind": "ballot"},
    }
