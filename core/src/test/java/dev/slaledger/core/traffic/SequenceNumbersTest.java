package dev.slaledger.core.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SequenceNumbersTest {
    @Provide
    Arbitrary<BigInteger> sequenceNumbers() {
        return Arbitraries.oneOf(
                Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.TEN.pow(129).subtract(BigInteger.ONE)),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(55), BigInteger.TEN.pow(56)),
                Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.valueOf(70_000)));
    }

    @Property
    void encodingOrdersLikeTheNumberUnderUnsignedByteComparison(@ForAll("sequenceNumbers") BigInteger a,
            @ForAll("sequenceNumbers") BigInteger b) {
        byte[] ea = SequenceNumbers.encode(a.toString());
        byte[] eb = SequenceNumbers.encode(b.toString());
        assertThat(Integer.signum(Arrays.compareUnsigned(ea, eb))).isEqualTo(Integer.signum(a.compareTo(b)));
        assertThat(Integer.signum(SequenceNumbers.compare(a.toString(), b.toString())))
                .isEqualTo(Integer.signum(a.compareTo(b)));
        assertThat(SequenceNumbers.decode(ea)).isEqualTo(a.toString());
    }

    @Property
    void aKinesisSequenceNumberTakes25Bytes(@ForAll("sequenceNumbers") BigInteger a) {
        if (a.toString().length() == 56) {
            assertThat(SequenceNumbers.encode(a.toString()).length).isLessThanOrEqualTo(25);
        }
    }
}
