"""Page-number pagination with the contract's names and cap (page_size ≤ 200)."""
from rest_framework.pagination import PageNumberPagination


class RegistryPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200
