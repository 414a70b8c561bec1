"""Properties over everything the template accepts (tests/grammar.py draws the answer sets).

* Every drawn set is accepted, or refused by validate() with one line naming the answer; an
  accepted set's routes each match their example raw and percent-encoded, first among the URLs
  the package registers (fast, many sets).
* Each accepted set bakes lint-clean, and in a real ServerApp with the installed flavour's apps
  loaded (JupyterLab, Notebook 7, nbclassic, terminals, jupyter-lsp), under a drawn base_url,
  each example URL, raw and encoded, reaches its class with its arguments, and every URL the
  servers serve still reaches its own handler (slow: ROUTED sets a run).
* The generated suite passes (SUITES sets a run), and its fuzz test too (FUZZED sets a run).

The slow sets are a fixed sequence (derandomized), so a CI failure replays; the failing answers
are printed as a cookiecutter command. Raise the counts with TEMPLATE_PROPERTY_SCALE=<factor>;
draw other sets with TEMPLATE_PROPERTY_SEED=<integer> (each seed its own fixed sequence).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

import pytest
import tomllib
from grammar import AnswerSet, answer_sets, baseline
from hypothesis import HealthCheck, Phase, event, example, given, seed, settings
from support import bake, base_venv, install_for_tests, ruff_findings, run_generated_suite

from local_extensions import post_gen
from local_extensions.answers import namespace_404, normalized_namespace, validate
from local_extensions.routes import (
    NOT_FOUND_PATTERN,
    OPENAPI_ROUTE,
    encoded_forms,
    parse_handlers,
    route_url,
)

SCALE = float(os.environ.get("TEMPLATE_PROPERTY_SCALE", "1"))
ROUTED, SUITES, FUZZED = (max(1, round(n * SCALE)) for n in (16, 5, 2))
SEED = os.environ.get("TEMPLATE_PROPERTY_SEED")
PROBLEM = re.compile(r"Invalid answer for '(?P<answer>\w+)': \S")
#: Sets other seeds drew that failed, replayed by every run. One whose suite failed: its JSON
#: 404 test probed a URL that the route catches.
CATCH_ALL_IN_A_NAMESPACE = AnswerSet(
    {**baseline(), "url_namespace": "api/x-y", "handlers": "DELETE,PUT /(?P<rest>.*)"}, "/"
)
#: One whose fuzz test failed: a download's parameter that matches no route reaches the
#: namespace's JSON 404, which /openapi.json described as HTML.
UNROUTED_DOWNLOAD = AnswerSet(
    {**baseline(), "url_namespace": "a/b/c", "handlers": r"GET,HEAD /(\d+)/([a-z]+) download"}, "/"
)


def accepted(case: AnswerSet) -> bool:
    return not validate(case.answers)


def reseeded(test: Callable[..., None]) -> Callable[..., None]:
    """The sequence of TEMPLATE_PROPERTY_SEED instead of the test's own, when it is set."""
    return seed(int(SEED))(test) if SEED else test


def slow(examples: int) -> settings:
    """Each example bakes: a fixed sequence (after the explicit examples), no shrinking, no
    deadline."""
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer_sets())
def test_every_answer_set_is_accepted_or_refused_naming_the_answer(case: AnswerSet) -> None:
    problems = validate(case.answers)  # never raises, whatever was drawn
    for message in problems:
        assert PROBLEM.match(message), message
        assert "\n" not in message
    event(f"refused ({PROBLEM.match(problems[0])['answer']})" if problems else "accepted")  # type: ignore[index]
    if problems:
        return
    namespace = normalized_namespace(case.answers["url_namespace"])
    routes = parse_handlers(case.answers["handlers"])
    registered = [route_url("/", namespace, OPENAPI_ROUTE)]  # tried before the routes
    for route in routes:
        for form in [route.sample_path, *encoded_forms(route.sample_path).values()]:
            url = route_url("/", namespace, form)
            assert re.fullmatch(route_url("/", namespace, route.pattern), url), (url, route)
            assert url not in registered, f"{url} reaches an earlier registration"
        registered.append(route_url("/", namespace, route.sample_path))
    if namespace_404(case.answers):  # the catch-all comes last and takes no route's URL away
        assert re.fullmatch(route_url("/", namespace, NOT_FOUND_PATTERN), registered[-1])


def bake_accepted(tmp_path_factory: pytest.TempPathFactory, case: AnswerSet):
    root = tmp_path_factory.mktemp("grammar")
    baked = bake(root / "out", {**case.cli_answers, "_verify_load": "no"}, check=False)
    assert baked.returncode == 0, f"{case.command()}\n{baked.stderr[-3000:]}"
    return root, baked


@pytest.mark.slow
@slow(ROUTED)
@given(case=answer_sets().filter(accepted))
@reseeded
def test_accepted_sets_bake_lint_clean_and_route_in_a_real_server(
    tmp_path_factory: pytest.TempPathFactory, case: AnswerSet
) -> None:
    _, baked = bake_accepted(tmp_path_factory, case)
    assert {name: baked.context[name] for name in case.answers} == case.answers
    project = tomllib.loads((baked.project / "pyproject.toml").read_text())["project"]
    assert project["description"] == case.answers["description"]
    assert project["authors"] == [
        {"name": case.answers["full_name"], "email": case.answers["email"]}
    ]
    assert ruff_findings(baked.project) == "", case.command()
    plan = post_gen.verification_plan(baked.project, baked.context, base_url=case.base_url)
    plan["extensions"] = "installed"  # beside every app the modern flavour enables
    python = str(base_venv("modern") / "bin" / "python")
    try:
        post_gen.run_load_check(python, plan)
    except post_gen.VerificationError as error:
        raise AssertionError(f"{case.command()} (base_url {case.base_url}):\n{error}") from None


@pytest.mark.slow
@slow(SUITES)
@given(case=answer_sets().filter(accepted))
@example(case=CATCH_ALL_IN_A_NAMESPACE)
@reseeded
def test_accepted_sets_pass_their_own_suite(
    tmp_path_factory: pytest.TempPathFactory, case: AnswerSet
) -> None:
    root, baked = bake_accepted(tmp_path_factory, case)
    venv = install_for_tests(baked.project, root / "venv")
    result = run_generated_suite(baked.project, venv)
    assert result.returncode == 0, case.command() + "\n" + result.stdout[-5000:]


@pytest.mark.slow
@slow(FUZZED)
@given(case=answer_sets().filter(accepted))
@example(case=UNROUTED_DOWNLOAD)
@reseeded
def test_accepted_sets_pass_their_fuzz_test(
    tmp_path_factory: pytest.TempPathFactory, case: AnswerSet
) -> None:
    root, baked = bake_accepted(tmp_path_factory, case)
    venv = install_for_tests(baked.project, root / "venv")
    result = run_generated_suite(baked.project, venv, "-m", "fuzz")
    assert result.returncode == 0, case.command() + "\n" + result.stdout[-5000:]
    assert not (baked.project / ".schemathesis").exists()
