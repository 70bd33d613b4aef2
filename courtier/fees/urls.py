from django.urls import path

from courtier.fees.views import grids, index, invoices, reports, summary

app_name = "fees"

urlpatterns = [
    path("", index.index, name="index"),
    # The fee grid (the broker's admin; published ones seen by the Catalogue's readers).
    path("grilles/", grids.grid_list, name="grids"),
    path("grilles/nouvelle/", grids.grid_new, name="grid_new"),
    path("grilles/<int:pk>/", grids.grid_detail, name="grid"),
    path("grilles/<int:pk>/publier/", grids.grid_publish, name="grid_publish"),
    # Quarterly acquisition reports (suppliers) and the quarters (the broker).
    path("rapports/", reports.report_list, name="reports"),
    path("rapports/<int:year>/<int:number>/deposer/", reports.report_new, name="report_new"),
    path("rapports/<int:pk>/", reports.report_detail, name="report"),
    path("trimestres/<int:year>/<int:number>/", reports.quarter_detail, name="quarter"),
    path("trimestres/<int:year>/<int:number>/clore/", reports.quarter_close, name="quarter_close"),
    # Invoices and credit notes, payments, statements.
    path("factures/", invoices.invoice_list, name="invoices"),
    path("factures/emettre/", invoices.issue_due, name="issue_due"),
    path("factures/<int:pk>/", invoices.invoice_detail, name="invoice"),
    path("factures/<int:pk>/pdf/", invoices.invoice_pdf, name="invoice_pdf"),
    path("factures/<int:pk>/paiement/", invoices.payment_add, name="payment_add"),
    path("factures/<int:pk>/credit/", invoices.credit_note_add, name="credit_note_add"),
    path("releve/<int:client_id>/", invoices.statement, name="statement"),
    # The broker's fees by quarter, client and type.
    path("sommaire/", summary.summary, name="summary"),
    path("sommaire/export.<str:fmt>", summary.summary_export, name="summary_export"),
]
