"""The JSON API at /api/ (OpenAPI docs at /api/docs): each app adds its router here."""

from ninja import NinjaAPI

api = NinjaAPI(title="Regulars API", version="1", urls_namespace="api")
