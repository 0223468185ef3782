import collections
import pytest
import schemathesis
from api.tests import test_schemathesis as ts

@pytest.mark.django_db
def test_statuses(cast, monkeypatch):
    seen = collections.Counter()
    orig = schemathesis.Case.call_and_validate
    def spy(self, *a, **kw):
        r = orig(self, *a, **kw)
        seen[(self.operation.path, r.status_code)] += 1
        return r
    monkeypatch.setattr(schemathesis.Case, "call_and_validate", spy)
    for m, p in ts.OPERATIONS:
        ts.test_the_operation_answers_within_its_schema_and_never_a_server_error.__wrapped__ if False else None
        ts.test_the_operation_answers_within_its_schema_and_never_a_server_error(cast, "base", schemathesis.GenerationMode.POSITIVE, m, p)
    print(sorted(seen.items()))
