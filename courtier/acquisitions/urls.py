from django.urls import path

from courtier.acquisitions.views import candidates, files, needs, questions, scenarios, startup

app_name = "acquisitions"

urlpatterns = [
    path("", files.file_list, name="file_list"),
    path("nouveau/", files.file_create, name="file_create"),
    path("<int:pk>/", files.file_detail, name="file_detail"),  # its current step
    path("<int:pk>/etape-<int:number>/", files.file_detail, name="file_step"),
    path("<int:pk>/etape/<slug:action>/", files.transition, name="transition"),
    # Step 1: the questionnaire and the consumption plan.
    path("<int:pk>/besoins/", needs.needs_update, name="needs_update"),
    path("<int:pk>/plan/ligne/", needs.need_form, name="need_form"),
    path("<int:pk>/plan/<str:code>/retirer/", needs.need_delete, name="need_delete"),
    path("<int:pk>/plan/<str:code>/membres/", needs.member_consumption, name="member_consumption"),
    # Steps 2-3: candidates, compliance, questions, trials.
    path("<int:pk>/offres/catalogue/", candidates.candidates_search, name="candidates_search"),
    path("<int:pk>/offres/ajouter/", candidates.candidate_add, name="candidate_add"),
    path("<int:pk>/offres/vues/", candidates.candidates_seen, name="candidates_seen"),
    path(
        "<int:pk>/offres/<int:candidate>/retirer/",
        candidates.candidate_remove,
        name="candidate_remove",
    ),
    path(
        "<int:pk>/offres/<int:candidate>/composantes/",
        candidates.candidate_map,
        name="candidate_map",
    ),
    path("<int:pk>/exigences/", candidates.requirement_add, name="requirement_add"),
    path(
        "<int:pk>/exigences/<int:requirement>/retirer/",
        candidates.requirement_remove,
        name="requirement_remove",
    ),
    path(
        "<int:pk>/conformite/<int:candidate>/<int:requirement>/",
        candidates.compliance_cell,
        name="compliance_cell",
    ),
    path("<int:pk>/questions/", questions.question_ask, name="question_ask"),
    path("<int:pk>/bancs-essai/", questions.trial_create, name="trial_create"),
    path("<int:pk>/bancs-essai/<int:trial>/rapport/", questions.trial_report, name="trial_report"),
    # Step 4: scenarios, choice and authorisations.
    path("<int:pk>/scenarios/calculer/", scenarios.scenarios_compute, name="scenarios_compute"),
    path("<int:pk>/scenarios/choisir/", scenarios.scenario_choose, name="scenario_choose"),
    path(
        "<int:pk>/autorisation-dirigeant/",
        scenarios.head_authorisation,
        name="head_authorisation",
    ),
    path(
        "<int:pk>/autorisation-financiere/",
        scenarios.financial_authorisation,
        name="financial_authorisation",
    ),
    path("<int:pk>/efvp/", scenarios.efvp, name="efvp"),
    # Step 5: the broker's startup meeting and the frozen strategy.
    path("<int:pk>/rencontre/", startup.meeting_schedule, name="meeting_schedule"),
    path("<int:pk>/figer/", startup.strategy_freeze, name="strategy_freeze"),
    # « Ajouter à un dossier » from an offer's Catalogue page.
    path(
        "offres/<int:offer>/ajouter-a-un-dossier/",
        candidates.offer_to_file,
        name="offer_to_file",
    ),
    # Questions addressed to suppliers.
    path("questions/", questions.questions_inbox, name="questions_inbox"),
    path("questions/<int:question>/repondre/", questions.question_answer, name="question_answer"),
]
