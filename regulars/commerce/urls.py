app_name = "commerce"
urlpatterns = []
