from django.urls import path

from courtier.acquisitions import views

app_name = "acquisitions"

urlpatterns = [
    path("", views.file_list, name="file_list"),
    path("nouveau/", views.file_create, name="file_create"),
    path("<int:pk>/", views.file_detail, name="file_detail"),
    path("<int:pk>/etape/<slug:action>/", views.transition, name="transition"),
    path("<int:pk>/documents/<int:document>/", views.document_download, name="document_download"),
    # Step 1: the questionnaire and the consumption plan.
    path("<int:pk>/besoins/", views.needs_update, name="needs_update"),
    path("<int:pk>/plan/ligne/", views.need_form, name="need_form"),
    path("<int:pk>/plan/<slug:code>/retirer/", views.need_delete, name="need_delete"),
    path("<int:pk>/plan/<slug:code>/membres/", views.member_consumption, name="member_consumption"),
    # Steps 2-3: candidates, compliance, questions, trials.
    path("<int:pk>/offres/catalogue/", views.candidates_search, name="candidates_search"),
    path("<int:pk>/offres/ajouter/", views.candidate_add, name="candidate_add"),
    path("<int:pk>/offres/vues/", views.candidates_seen, name="candidates_seen"),
    path(
        "<int:pk>/offres/<int:candidate>/retirer/",
        views.candidate_remove,
        name="candidate_remove",
    ),
    path(
        "<int:pk>/offres/<int:candidate>/composantes/",
        views.candidate_map,
        name="candidate_map",
    ),
    path("<int:pk>/exigences/", views.requirement_add, name="requirement_add"),
    path(
        "<int:pk>/exigences/<int:requirement>/retirer/",
        views.requirement_remove,
        name="requirement_remove",
    ),
    path(
        "<int:pk>/conformite/<int:candidate>/<int:requirement>/",
        views.compliance_cell,
        name="compliance_cell",
    ),
    path("<int:pk>/questions/", views.question_ask, name="question_ask"),
    path("<int:pk>/bancs-essai/", views.trial_create, name="trial_create"),
    path("<int:pk>/bancs-essai/<int:trial>/rapport/", views.trial_report, name="trial_report"),
    # Step 4: scenarios, choice and authorisations.
    path("<int:pk>/scenarios/calculer/", views.scenarios_compute, name="scenarios_compute"),
    path("<int:pk>/scenarios/choisir/", views.scenario_choose, name="scenario_choose"),
    path(
        "<int:pk>/autorisation-dirigeant/",
        views.head_authorisation,
        name="head_authorisation",
    ),
    path(
        "<int:pk>/autorisation-financiere/",
        views.financial_authorisation,
        name="financial_authorisation",
    ),
    path("<int:pk>/efvp/", views.efvp, name="efvp"),
    # Step 5: the broker's startup meeting and the frozen strategy.
    path("<int:pk>/rencontre/", views.meeting_schedule, name="meeting_schedule"),
    path("<int:pk>/figer/", views.strategy_freeze, name="strategy_freeze"),
    # Questions addressed to suppliers.
    path("questions/", views.questions_inbox, name="questions_inbox"),
    path("questions/<int:question>/repondre/", views.question_answer, name="question_answer"),
]
