"""The HTTP API: one router per app, mounted here. OpenAPI at /api/openapi.json."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from tact import __version__
from tact.accounts.api import router as accounts_router
from tact.advisor.api import router as advisor_router
from tact.assessments.api import router as assessments_router
from tact.catalogue.api import router as catalogue_router
from tact.catalogue.selectors import QueryError
from tact.community.api import router as community_router
from tact.consortium.api import router as consortium_router
from tact.curation.api import router as curation_router
from tact.events.api import router as events_router
from tact.mentoring.api import router as mentoring_router
from tact.publication.api import router as publication_router

api = NinjaAPI(
    title="TACT API",
    version=__version__,
    description="The Transformative Activity Cluster Toolbox: practices, fields and objectives.",
    urls_namespace="api",
)


@api.exception_handler(QueryError)
def query_error(request: HttpRequest, exc: QueryError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": [{"loc": ["query", exc.param], "msg": exc.message, "type": "value_error"}]},
        status=422,
    )


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.errors}, status=422)


api.add_router("/", catalogue_router)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {
            "detail": _(
                "Authentication required: send a valid, unrevoked API token as "
                "'Authorization: Bearer <token>'."
            )
        },
        status=401,
    )


api.add_router("/", accounts_router)
api.add_router("/advisor", advisor_router)
api.add_router("/assessments", assessments_router)
api.add_router("/community", community_router)
api.add_router("/consortium", consortium_router)
api.add_router("/curation", curation_router)
api.add_router("/publication", publication_router)
api.add_router("/mentoring", mentoring_router)
api.add_router("/events", events_router)
