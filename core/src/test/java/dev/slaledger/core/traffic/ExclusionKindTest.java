package dev.slaledger.core.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ExclusionKindTest {

    @Test
    @DisplayName("S2.4: the three exclusions of D1 by their wire names; anything else (case, blanks) is none")
    void s2_4_wireNames() {
        assertThat(ExclusionKind.parse("maintenance")).contains(ExclusionKind.MAINTENANCE);
        assertThat(ExclusionKind.parse("customer-compromised")).contains(ExclusionKind.CUSTOMER_COMPROMISED);
        assertThat(ExclusionKind.parse("content-ban")).contains(ExclusionKind.CONTENT_BAN);
        assertThat(ExclusionKind.parse("Maintenance")).isEmpty();
        assertThat(ExclusionKind.parse(" maintenance")).isEmpty();
        assertThat(ExclusionKind.parse("MAINTENANCE")).isEmpty();
        assertThat(ExclusionKind.parse(null)).isEmpty();
        assertThat(ExclusionKind.values()).extracting(ExclusionKind::wireName)
                .containsExactly("maintenance", "customer-compromised", "content-ban");
    }
}
