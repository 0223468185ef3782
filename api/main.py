from ninja import NinjaAPI

api = NinjaAPI(title="dangbo API", version="1", urls_namespace="api")
