import json

import pytest
from jupyter_server.auth import Authorizer
from tornado.httpclient import HTTPClientError


@pytest.fixture
def jp_server_config():
    return {
        "ServerApp": {"jpserver_extensions": {"showcase": True}},
        "ShowcaseApp": {"motto": "Engage"},
    }


async def test_the_page_shows_the_configured_motto_and_its_stylesheet(jp_fetch):
    response = await jp_fetch("showcase")
    assert b"<h1>Engage</h1>" in response.body
    assert b"/static/showcase/style.css" in response.body


async def test_the_stylesheet_is_served(jp_fetch):
    response = await jp_fetch("static", "showcase", "style.css")
    assert b"rebeccapurple" in response.body


async def test_the_motto_can_be_read_and_changed(jp_fetch):
    response = await jp_fetch("showcase", "api", "motto")
    assert json.loads(response.body) == {"motto": "Engage"}
    body = json.dumps({"motto": "Make it so"})
    await jp_fetch("showcase", "api", "motto", method="PUT", body=body)
    response = await jp_fetch("showcase", "api", "motto")
    assert json.loads(response.body) == {"motto": "Make it so"}


async def test_a_motto_that_is_not_text_is_refused(jp_fetch):
    with pytest.raises(HTTPClientError) as refused:
        await jp_fetch("showcase", "api", "motto", method="PUT", body=json.dumps({"motto": 3}))
    assert refused.value.code == 400


class NotAnAdmin(Authorizer):
    def is_authorized(self, handler, user, action, resource):
        return resource != "showcase:admin"


class TestWithoutTheAdminResource:
    @pytest.fixture
    def jp_server_config(self):
        return {
            "ServerApp": {"jpserver_extensions": {"showcase": True}, "authorizer_class": NotAnAdmin}
        }

    async def test_the_api_is_refused_but_the_page_is_not(self, jp_fetch):
        with pytest.raises(HTTPClientError) as refused:
            await jp_fetch("showcase", "api", "motto")
        assert refused.value.code == 403
        assert (await jp_fetch("showcase")).code == 200
