package dev.slaledger.infrastructure;

/** The deployed functions' handlers, as the templates name them, for the stack tests to find each function by. */
final class Handlers {
    static final String MONTH_END = "dev.slaledger.monthend.MonthEndHandler::handleRequest";
    static final String WORKER = "dev.slaledger.monthend.StatementWorkerHandler::handleRequest";
    static final String INGEST = "dev.slaledger.ingest.WindowedIngestHandler::handleRequest";
    static final String ACCOUNTS = "dev.slaledger.accounts.AccountsHandler::handleRequest";
    static final String MAINTENANCE = "dev.slaledger.monthend.MaintenanceWindowsHandler::handleRequest";
    static final String CLAIMS = "dev.slaledger.claims.ClaimsHandler::handleRequest";
    static final String RESTATEMENT = "dev.slaledger.monthend.RestatementHandler::handleRequest";
    static final String OUTBOX_SWEEP = "dev.slaledger.monthend.OutboxSweepHandler::handleRequest";
    static final String PUBLISH_TERMS = "dev.slaledger.notifier.PublishTermsHandler::handleRequest";
    static final String NOTIFIER = "dev.slaledger.notifier.NotifierHandler::handleRequest";
    static final String SES_EVENTS = "dev.slaledger.notifier.SesEventsHandler::handleRequest";
    static final String NOTICE_WORKER = "dev.slaledger.notifier.NoticeWorkerHandler::handleRequest";
    static final String FORECAST = "dev.slaledger.monthend.ForecastHandler::handleRequest";
    static final String FORECAST_WORKER = "dev.slaledger.monthend.ForecastWorkerHandler::handleRequest";
    static final String FORECAST_API = "dev.slaledger.monthend.ForecastApiHandler::handleRequest";

    private Handlers() {
    }
}
