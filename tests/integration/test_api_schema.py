"""Property-based: schemathesis generates requests for every operation in /openapi.json and checks
that none is answered with a 500 or with a response that breaks the documented schema."""

from __future__ import annotations

import pytest

from hotline.core.jobs import InProcessQueue
from hotline.runtime.api import create_app
from hotline.runtime.context import build_context
from hotline.simulator.fake import FakeAsterisk

EXAMPLES = 12


STREAMS = {"/api/v1/live", "/api/v1/calls/{linkedid}/live"}  # an event stream never ends; tests/integration/test_api_telephony.py reads it


# The hotline admin reaches every operation; a department's clerk meets the refusals and the scoped reads.
ROLES = [("admin", EXAMPLES), ("water", EXAMPLES // 2)]


@pytest.mark.parametrize(("who", "examples"), ROLES)
def test_no_server_errors_and_responses_match_the_schema(ctx, session_factory, people, who, examples):
    # Imported here, not at collection: schemathesis and hypothesis take longer to load than the rest of a module.
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

    # Schema-valid input can still be refused by the domain (an unknown category, a step the order's state
    # forbids) with a documented 4xx; what must never happen is a 500 or a body that breaks the schema.
    checks = [not_a_server_error, response_schema_conformance, content_type_conformance]
    pbx = FakeAsterisk().start()  # agent actions reach a manager that answers like Asterisk
    ctx = build_context(ctx.settings.model_copy(update={"ami_host": "127.0.0.1", "ami_port": pbx.port}),
                        clock=ctx.clock, config=ctx.config)
    app = create_app(ctx, queue=InProcessQueue())
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    headers = people[who].headers
    checked = []
    try:
        for result in schema.get_all_operations():
            operation = result.ok()
            if operation.path in STREAMS:
                continue

            @given(case=operation.as_strategy())
            @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
            def run(case):
                case.call_and_validate(headers=headers, checks=checks)

            run()
            checked.append(operation.label)
    finally:
        app.state.runtime.session_factory.kw["bind"].dispose()
        pbx.stop()
    assert len(checked) >= 25
