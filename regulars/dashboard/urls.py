"""The merchant dashboard: /login/, / and every store page under /s/<store_slug>/."""

from django.urls import include, path

from regulars.dashboard.views import (
    auth,
    channels,
    coupons,
    customers,
    deliveries,
    feedback,
    feedback_surveys,
    imports,
    insights,
    integrations,
    journeys,
    messages,
    orders,
    settings,
    templates_editor,
)

app_name = "dashboard"

store_urls = [
    path("", auth.store_home, name="store_home"),
    path("customers/", customers.customer_list, name="customers"),
    path("customers/<int:customer_id>/", customers.customer_detail, name="customer"),
    path(
        "customers/<int:customer_id>/consent/",
        customers.customer_consent,
        name="customer_consent",
    ),
    path("insights/", insights.insights_page, name="insights"),
    path("insights/refresh/", insights.insights_refresh, name="insights_refresh"),
    path("insights/<slug:table>.csv", insights.insights_csv, name="insights_csv"),
    path("orders/", orders.order_list, name="orders"),
    path("orders/<int:order_id>/", orders.order_detail, name="order"),
    path("deliveries/", deliveries.delivery_list, name="deliveries"),
    path("deliveries/<int:delivery_id>/", deliveries.delivery_detail, name="delivery"),
    path(
        "deliveries/<int:delivery_id>/replay/",
        deliveries.delivery_replay,
        name="delivery_replay",
    ),
    path("imports/", imports.import_list, name="imports"),
    path("coupons/", coupons.coupon_list, name="coupons"),
    path("coupons/webhook/", coupons.webhook, name="coupon_webhook"),
    path("coupons/webhook/test/", coupons.webhook_test, name="coupon_webhook_test"),
    path("journeys/", journeys.journey_list, name="journeys"),
    path("journeys/<slug:key>/", journeys.journey_edit, name="journey"),
    path("journeys/<slug:key>/switch/", journeys.journey_switch, name="journey_switch"),
    path("journeys/<slug:key>/preview/", journeys.journey_preview, name="journey_preview"),
    path(
        "journeys/<slug:key>/customers/",
        journeys.journey_enrollments,
        name="journey_enrollments",
    ),
    path("enrollments/<int:enrollment_id>/", journeys.enrollment, name="enrollment"),
    path("feedback/", feedback.inbox, name="feedback"),
    path(
        "feedback/reviews/<int:review_id>/reply/",
        feedback.review_reply,
        name="feedback_review_reply",
    ),
    path(
        "feedback/reviews/<int:review_id>/moderate/",
        feedback.review_moderate,
        name="feedback_review_moderate",
    ),
    path(
        "feedback/answers/<int:answer_id>/reply/",
        feedback.answer_reply,
        name="feedback_answer_reply",
    ),
    path(
        "feedback/follow-ups/<int:followup_id>/done/",
        feedback.followup_done,
        name="feedback_followup_done",
    ),
    path("feedback/surveys/", feedback_surveys.survey_list, name="feedback_surveys"),
    path("feedback/new-survey/", feedback_surveys.survey_new, name="feedback_survey_new"),
    path(
        "feedback/follow-up-survey/",
        feedback_surveys.follow_up_survey,
        name="feedback_follow_up_survey",
    ),
    path("feedback/surveys/<slug:key>/", feedback_surveys.survey_detail, name="feedback_survey"),
    path(
        "feedback/surveys/<slug:key>/edit/",
        feedback_surveys.survey_edit,
        name="feedback_survey_edit",
    ),
    path(
        "feedback/surveys/<slug:key>/answers.csv",
        feedback_surveys.survey_csv,
        name="feedback_survey_csv",
    ),
    path("feedback/settings/", feedback.feedback_settings, name="feedback_settings"),
    path("feedback/settings/webhook/", feedback.webhook, name="feedback_webhook"),
    path(
        "feedback/settings/webhook/test/",
        feedback.webhook_test,
        name="feedback_webhook_test",
    ),
    path("messages/", messages.message_list, name="messages"),
    path("messages/<int:message_id>/", messages.message_detail, name="message"),
    path("messages/templates/", templates_editor.template_list, name="message_templates"),
    path("messages/templates/new/", templates_editor.template_new, name="message_template_new"),
    path(
        "messages/templates/preview/",
        templates_editor.template_preview,
        name="message_template_preview",
    ),
    path(
        "messages/templates/<int:template_id>/",
        templates_editor.template_edit,
        name="message_template",
    ),
    path(
        "messages/templates/<int:template_id>/delete/",
        templates_editor.template_delete,
        name="message_template_delete",
    ),
    path("messages/suppressions/", messages.suppression_list, name="suppressions"),
    path(
        "messages/suppressions/<int:suppression_id>/remove/",
        messages.suppression_remove,
        name="suppression_remove",
    ),
    path("settings/", settings.store_settings, name="store_settings"),
    path("settings/staff/", settings.staff, name="staff"),
    path("settings/staff/<int:membership_id>/role/", settings.staff_role, name="staff_role"),
    path("settings/staff/<int:membership_id>/remove/", settings.staff_remove, name="staff_remove"),
    path("settings/api-keys/", integrations.api_keys, name="api_keys"),
    path(
        "settings/api-keys/<int:key_id>/revoke/",
        integrations.api_key_revoke,
        name="api_key_revoke",
    ),
    path("settings/webhooks/", integrations.webhooks, name="webhooks"),
    path("settings/messaging/", channels.channels, name="messaging_channels"),
    path("settings/messaging/budget/", channels.budget, name="messaging_budget"),
    path(
        "settings/messaging/sms/inbound-key/",
        channels.inbound_sms_key,
        name="messaging_inbound_key",
    ),
    path(
        "settings/messaging/<slug:channel>/test/",
        channels.send_test,
        name="messaging_test",
    ),
]

urlpatterns = [
    path("", auth.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("s/<slug:store_slug>/", include(store_urls)),
]
