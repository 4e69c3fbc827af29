package dev.slaledger.adapter.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StoredCountsTest {

    @ParameterizedTest(name = "S7.5 stored {0} reads as {1}")
    @CsvSource(textBlock = """
            0,                                        0
            17,                                       17
            999999999999,                             999999999999
            1000000000000,                            1000000000000
            1000000000001,                            1000000000000
            999999999999999999,                       1000000000000
            9223372036854775807,                      1000000000000
            9223372036854775808,                      1000000000000
            99999999999999999999999999999999999999,   1000000000000
            1E+30,                                    1000000000000
            2.5,                                      2
            -3,                                       0
            -99999999999999999999999999,              0
            not a number,                             0
            """)
    void neverThrowsAlwaysInRange(String stored, long expected) {
        assertThat(StoredCounts.clamped(stored)).isEqualTo(expected);
    }
}
