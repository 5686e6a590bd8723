"""The API test client of commerce, with the PATCH that the journeys API needs."""

import json

from regulars.commerce.tests.api_client import Api, api_for


class JourneysApi(Api):
    def patch(self, path: str, body):
        return self.client.patch(
            f"/api/v1{path}", data=json.dumps(body), content_type="application/json", **self._auth()
        )


def journeys_api(client, store, scope: str = "write") -> JourneysApi:
    api = api_for(client, store, scope)
    return JourneysApi(api.client, api.raw_key)
