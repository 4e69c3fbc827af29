package dev.slaledger.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

class ParametersTest {

    private static Parameters fromContext(Map<String, Object> context) {
        return Parameters.fromContext(new App(AppProps.builder().context(context).build()).getNode());
    }

    private static Map<String, Object> complete() {
        Map<String, Object> c = new HashMap<>();
        c.put("stage", "prod");
        c.put("jwtIssuer", "https://cognito-idp.example/pool");
        c.put("jwtAudience", "client-a, client-b");
        c.put("sesSender", "sla@provider.example");
        return c;
    }

    @Test
    @DisplayName("S1.4 time zone defaults to UTC; audiences are comma-separated")
    void defaults() {
        Parameters p = fromContext(complete());
        assertThat(p.timeZone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(p.jwtAudience()).containsExactly("client-a", "client-b");
        assertThat(p.sesSenderDomain()).isEqualTo("provider.example");
        assertThat(p.jwtAccountClaim()).isEqualTo("sub");
        assertThat(p.noticeServiceName()).isEmpty();
        assertThat(p.claimUrlTemplate()).isEmpty();
    }

    @Test
    @DisplayName("S8.2 claimUrlTemplate is taken from context as an https URL; anything else is refused")
    void claimUrlTemplate() {
        Map<String, Object> c = complete();
        c.put("claimUrlTemplate", " https://console.example.com/sla/claims?month={month} ");
        assertThat(fromContext(c).claimUrlTemplate()).contains("https://console.example.com/sla/claims?month={month}");
        c.put("claimUrlTemplate", "http://console.example.com/claims");
        assertThatThrownBy(() -> fromContext(c)).hasMessageContaining("claimUrlTemplate");
        c.put("claimUrlTemplate", "https://console.example.com/a b");
        assertThatThrownBy(() -> fromContext(c)).hasMessageContaining("claimUrlTemplate");
    }

    @Test
    @DisplayName("the claims API's account claim and the notices' service name are taken from context; malformed ones refused")
    void claimAndServiceName() {
        Map<String, Object> c = complete();
        c.put("jwtAccountClaim", "custom:accountId");
        c.put("noticeServiceName", " Acme Weather API ");
        Parameters p = fromContext(c);
        assertThat(p.jwtAccountClaim()).isEqualTo("custom:accountId");
        assertThat(p.noticeServiceName()).contains("Acme Weather API");
        c.put("jwtAccountClaim", "account id");
        assertThatThrownBy(() -> fromContext(c)).hasMessageContaining("jwtAccountClaim");
        c.put("jwtAccountClaim", "sub");
        c.put("noticeServiceName", "two\nlines");
        assertThatThrownBy(() -> fromContext(c)).hasMessageContaining("noticeServiceName");
    }

    @Test
    @DisplayName("S1.4 an IANA zone is taken as given; anything else is refused")
    void timeZone() {
        Map<String, Object> c = complete();
        c.put("timeZone", "Asia/Shanghai");
        assertThat(fromContext(c).timeZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        c.put("timeZone", "Mars/Olympus");
        assertThatThrownBy(() -> fromContext(c)).hasMessageContaining("timeZone: Mars/Olympus");
    }

    @Test
    @DisplayName("issue 31 item 7: timeZone takes IANA names only; Z, offsets and GMT+8 (which ZoneId.of takes and EventBridge Scheduler refuses) are refused")
    void timeZoneIanaOnly() {
        Map<String, Object> c = complete();
        for (String ok : List.of("UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+8")) {
            c.put("timeZone", ok);
            assertThat(fromContext(c).timeZone().getId()).isEqualTo(ok);
        }
        for (String bad : List.of("Z", "+08:00", "GMT+8", "UTC+01:00", "UT", "-05")) {
            c.put("timeZone", bad);
            assertThatThrownBy(() -> fromContext(c)).as(bad).hasMessageContaining("timeZone: " + bad)
                    .hasMessageContaining("IANA");
        }
        assertThatThrownBy(() -> new Parameters("prod", "https://i.example", List.of("a"), "a@b.example",
                ZoneId.of("+08:00"))).hasMessageContaining("timeZone");
    }

    @Test
    @DisplayName("issue 31 item 7: a missing required parameter stops `cdk synth` with one line naming it, status 2, nothing synthesized")
    void missingParameterIsOneLine() {
        for (String name : List.of("stage", "jwtIssuer", "jwtAudience", "sesSender")) {
            Map<String, Object> c = complete();
            c.remove(name);
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            int status = SlaLedgerApp.run(new App(AppProps.builder().context(c).build()),
                    new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
            String out = err.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(status).isEqualTo(2);
            assertThat(out.lines().toList()).as(out).hasSize(1);
            assertThat(out).contains("missing context [" + name + "]").contains("-c name=value");
        }
        Map<String, Object> c = complete();
        c.put("timeZone", "GMT+8");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        assertThat(SlaLedgerApp.run(new App(AppProps.builder().context(c).build()), new java.io.PrintStream(err, true)))
                .isEqualTo(2);
        assertThat(err.toString().lines().toList()).singleElement().asString().contains("timeZone: GMT+8");
    }

    @Test
    @DisplayName("every missing parameter is named at once")
    void missing() {
        assertThatThrownBy(() -> fromContext(Map.of("stage", "prod")))
                .hasMessageContaining("[jwtIssuer, jwtAudience, sesSender]");
    }

    @Test
    @DisplayName("malformed values are refused with the parameter's name")
    void malformed() {
        assertThatThrownBy(() -> new Parameters("prod stage", "https://i.example", List.of("a"), "a@b.example",
                ZoneId.of("UTC"))).hasMessageContaining("stage");
        assertThatThrownBy(() -> new Parameters("prod", "http://i.example", List.of("a"), "a@b.example",
                ZoneId.of("UTC"))).hasMessageContaining("jwtIssuer");
        assertThatThrownBy(() -> new Parameters("prod", "https://i.example", List.of(), "a@b.example",
                ZoneId.of("UTC"))).hasMessageContaining("jwtAudience");
        assertThatThrownBy(() -> new Parameters("prod", "https://i.example", List.of("a"), "not-an-address",
                ZoneId.of("UTC"))).hasMessageContaining("sesSender");
    }
}
