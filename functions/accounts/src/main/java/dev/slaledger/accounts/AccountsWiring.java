package dev.slaledger.accounts;

import dev.slaledger.accounts.event.BillingEventParser;
import dev.slaledger.adapter.dynamodb.AccountsTable;
import dev.slaledger.adapter.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbStatementRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbTermsRepository;
import dev.slaledger.core.billing.AccountRegistry;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.usecase.Ledger;
import dev.slaledger.core.usecase.StaleMarks;
import dev.slaledger.lambda.AwsClients;
import dev.slaledger.lambda.Env;
import dev.slaledger.lambda.EnvNames;
import dev.slaledger.priming.CannedClients;
import dev.slaledger.priming.MissingItemRead;
import dev.slaledger.priming.Priming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The accounts function's composition root (docs/architecture.md): the registry on the accounts
 * table ({@code ACCOUNTS_TABLE}) and the S7.1 marking policy on the Ledger table
 * ({@code LEDGER_TABLE}: stale marks, published terms), from the Lambda environment
 * ({@link #fromEnvironment}) or from a given environment, client, clock and original terms.
 */
public final class AccountsWiring {
    /** Copied from events/accounts at build time (pom.xml, resources). */
    static final String SAMPLE_EVENT = "/dev/slaledger/accounts/priming/subscription-purchased.json";

    private final Env env;
    /** The real client (Lambda, priming); null when the wiring is on a given ledger. */
    private final DynamoDbClient dynamo;
    private final Clock clock;
    private final TermsVersion originalTerms;
    private final Ledger ledger;

    public AccountsWiring(Env env, DynamoDbClient dynamo, Clock clock, TermsVersion originalTerms) {
        this.env = env;
        this.dynamo = dynamo;
        this.clock = clock;
        this.originalTerms = originalTerms;
        this.ledger = null;
    }

    /** For other runtimes (the local runtime's memory engine): the registry and the marks on a given ledger graph. */
    public AccountsWiring(Env env, Ledger ledger) {
        this.env = env;
        this.dynamo = null;
        this.clock = ledger.clock();
        this.originalTerms = ledger.terms().published().get(0);
        this.ledger = ledger;
    }

    /** Lambda: the process environment, a DynamoDB client from {@link AwsClients}, the system clock, the default terms. */
    static AccountsWiring fromEnvironment() {
        Env env = Env.system();
        return new AccountsWiring(env, AwsClients.build(DynamoDbClient.builder(), env.region()), Clock.systemUTC(),
                DefaultTerms.version());
    }

    public AccountRegistry registry() {
        return ledger != null ? ledger.accountRegistry()
                : new DynamoDbAccountRepository(dynamo, env.required(EnvNames.ACCOUNTS_TABLE));
    }

    /** The S7.1 marking policy on the Ledger table. */
    public StaleMarks staleMarks() {
        if (ledger != null) {
            return new StaleMarks(ledger.statements(), ledger.terms(), clock);
        }
        String ledger = env.required(EnvNames.LEDGER_TABLE);
        return new StaleMarks(new DynamoDbStatementRepository(dynamo, ledger),
                new DynamoDbTermsRepository(dynamo, ledger, originalTerms), clock);
    }

    /** The handler on this graph (no SnapStart hook: other runtimes and tests). */
    public AccountsHandler handler() {
        return new AccountsHandler(new BillingEventParser(), registry(), staleMarks());
    }

    /**
     * SnapStart priming (issue 11 item 3): the bundled copy of events/accounts/subscription-purchased.json
     * through the whole handler on a DynamoDB client that answers from memory (event parsing and
     * validation, the versioned conditional write's marshalling, the marks, the JSON answer); then a
     * read of an accounts key that cannot exist through the real client. Nothing is written anywhere.
     */
    Priming.Step[] priming() {
        return new Priming.Step[] {
            Priming.step("sample billing event on canned DynamoDB", () -> {
                AccountsHandler canned = new AccountsWiring(env, CannedClients.build(DynamoDbClient.builder(),
                        env.region()), clock, originalTerms).handler();
                try (InputStream in = AccountsWiring.class.getResourceAsStream(SAMPLE_EVENT)) {
                    if (in == null) {
                        throw new IllegalStateException(SAMPLE_EVENT + " is not in the package");
                    }
                    canned.handleRequest(in, OutputStream.nullOutputStream(), null);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }),
            MissingItemRead.step(dynamo, env.required(EnvNames.ACCOUNTS_TABLE), AccountsTable.PK, AccountsTable.SK)
        };
    }
}
