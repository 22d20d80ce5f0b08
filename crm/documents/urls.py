from django.urls import path

from crm.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.DocumentListView.as_view(), name="list"),
    path("fiche/<str:kind>/<int:pk>/", views.record_documents, name="record"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/versions/", views.version_add, name="version-add"),
    path("<int:pk>/supprimer/", views.document_delete, name="delete"),
    path("versions/<int:pk>/telecharger/", views.download, name="download"),
    path("categories/", views.categories, name="categories"),
    path("categories/<int:pk>/basculer/", views.category_toggle, name="category-toggle"),
]
