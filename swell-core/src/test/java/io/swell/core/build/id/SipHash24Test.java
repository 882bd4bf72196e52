package io.swell.core.build.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.SequencedMap;
import org.junit.jupiter.api.Test;

class SipHash24Test {

    @Test
    void matchesTheReferenceVectorsOfTheSipHashPaper() {
        // key 00..0f; messages 00..(n-1); values from the SipHash paper / reference implementation
        assertThat(SipHash24.hash(SipHash24.DEFAULT_K0, SipHash24.DEFAULT_K1, new byte[0]))
                .isEqualTo(0x726fdb47dd0e0e31L);
        byte[] fifteen = new byte[15];
        for (int i = 0; i < fifteen.length; i++) {
            fifteen[i] = (byte) i;
        }
        assertThat(SipHash24.hash(SipHash24.DEFAULT_K0, SipHash24.DEFAULT_K1, fifteen))
                .isEqualTo(0xa129ca6149be45e5L);
    }

    @Test
    void printsTheBytesInLittleEndianOrderAsGuavaDoes() {
        assertThat(SipHash24.toHex(0xc8640987ec58e728L)).isEqualTo("28e758ec870964c8");
        assertThat(SipHash24.toHex(1L)).isEqualTo("0100000000000000");
    }

    @Test
    void aNullValueHashesLikeAnEmptyOneButTheKeyStillCounts() {
        SequencedMap<String, String> withNull = new LinkedHashMap<>();
        withNull.put("a", null);
        SequencedMap<String, String> withEmpty = new LinkedHashMap<>();
        withEmpty.put("a", "");
        assertThat(SipHash24.mapInput(withNull)).isEqualTo("a\u001c\u001e");
        assertThat(SipHash24.hashMap(withNull)).isEqualTo(SipHash24.hashMap(withEmpty));
        assertThat(SipHash24.hashMap(withNull)).isNotEqualTo(SipHash24.hashMap(new LinkedHashMap<>()));
    }

    @Test
    void hashesUtf16CodeUnitsSoACharacterOutsideTheBmpIsASurrogatePair() {
        String emoji = "\uD83D\uDE00";
        byte[] pair = {0x3d, (byte) 0xd8, 0x00, (byte) 0xde};
        assertThat(emoji.getBytes(StandardCharsets.UTF_16LE)).containsExactly(pair);
        assertThat(SipHash24.hashChars(emoji))
                .isEqualTo(SipHash24.toHex(SipHash24.hash(SipHash24.DEFAULT_K0, SipHash24.DEFAULT_K1, pair)))
                .isNotEqualTo(SipHash24.toHex(SipHash24.hash(SipHash24.DEFAULT_K0, SipHash24.DEFAULT_K1,
                        emoji.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void argumentsAreEachFollowedByFsAndTheListByOneRs() {
        assertThat(SipHash24.argsInput("a", null, 3)).isEqualTo("a\u001c\u001c3\u001c\u001e");
        assertThat(SipHash24.hashArgs("a")).isEqualTo("bcf5c2d233d23f0f");
    }
}
