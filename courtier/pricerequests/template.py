"""The first version of the broker's price-request template (002 §3.2, §3.3.2: mandatory, every
section completed, no quality evaluation), shipped with the product: published as version 1 the
first time a request needs a template and the broker has published none. The broker publishes
later versions from the platform (``services.requests.request_template_publish``)."""

DEFAULT_SECTIONS = [
    {
        "code": "contexte",
        "title": "Contexte et objet de la demande",
        "instructions": "Présentez l'organisme, le projet et l'objet des services demandés.",
    },
    {
        "code": "environnement",
        "title": "Contexte technologique : environnement actuel et situation cible",
        "instructions": (
            "Décrivez l'environnement actuel et la situation visée au terme du contrat."
        ),
    },
    {
        "code": "activites",
        "title": "Activités et biens livrables",
        "instructions": (
            "Énumérez les activités à réaliser et les livrables attendus, avec leurs critères "
            "d'acceptation. Ils doivent faire partie de la portée des qualifications choisies."
        ),
    },
    {
        "code": "responsabilites",
        "title": "Partage des responsabilités",
        "instructions": "Précisez ce qui revient à l'organisme et ce qui revient au prestataire.",
    },
    {
        "code": "echeancier",
        "title": "Échéancier et durée",
        "instructions": "Indiquez la durée du contrat, les jalons et les dates attendues.",
    },
    {
        "code": "exigences",
        "title": "Exigences pour le prestataire de services",
        "instructions": (
            "Exigences de sécurité, de confidentialité et de lieu de travail ; les indicateurs "
            "environnementaux peuvent être ajoutés comme atouts (002 §3.3.2). Aucune évaluation "
            "de la qualité n'est possible."
        ),
    },
    {
        "code": "remuneration",
        "title": "Mode de rémunération, modalités de paiement et pénalités",
        "instructions": (
            "Taux horaire (heures estimées par activité) ou prix forfaitaire ; modalités de "
            "paiement et pénalités applicables."
        ),
    },
    {
        "code": "reponse",
        "title": "Instructions pour la réponse",
        "instructions": (
            "La réponse est déposée sur la plateforme avant la date limite ; aucune prolongation "
            "n'est possible (002 §3.3.3). Les questions se posent par écrit."
        ),
    },
]
