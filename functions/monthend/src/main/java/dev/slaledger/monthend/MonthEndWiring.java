package dev.slaledger.monthend;

import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.usecase.MonthEndFanOut;
import dev.slaledger.core.usecase.StatementService;

/** Builds the month-end's use cases from the Lambda environment, once per execution environment. */
final class MonthEndWiring {
    private final MonthEndFanOut fanOut;
    private final StatementService statementService;
    private final TermsRepository terms;

    MonthEndWiring(MonthEndFanOut fanOut, StatementService statementService, TermsRepository terms) {
        this.fanOut = fanOut;
        this.statementService = statementService;
        this.terms = terms;
    }

    static MonthEndWiring fromEnvironment() {
        throw new IllegalStateException("wired after the ingest and accounts adapters land");
    }

    static dev.slaledger.core.port.MaintenanceWindowRepository maintenanceWindowsFromEnvironment() {
        throw new IllegalStateException("wired after the ingest and accounts adapters land");
    }

    MonthEndFanOut fanOut() {
        return fanOut;
    }

    StatementService statementService() {
        return statementService;
    }

    TermsRepository terms() {
        return terms;
    }
}
