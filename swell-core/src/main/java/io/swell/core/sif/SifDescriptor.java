package io.swell.core.sif;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One data object descriptor of a SIF file, encoded as the packed 585-byte {@code rawDescriptor} of sylabs/sif.
 *
 * @param dataType the object type, e.g. {@link #DEFFILE}
 * @param id the object id, the descriptor's array index + 1
 * @param offset absolute file offset of the data
 * @param size data length
 * @param sizeWithPadding data length plus the alignment gap in front of it
 * @param time creation and modification time in unix seconds
 * @param name the object name, empty for none
 * @param partitionArch the architecture of a primary system partition, null for other objects
 */
record SifDescriptor(int dataType, int id, long offset, long size, long sizeWithPadding, long time, String name,
        SifArch partitionArch) {
    static final int SIZE = 585;
    static final int NAME_SIZE = 128;
    static final int DEFFILE = 0x4001;
    static final int PARTITION = 0x4004;
    static final int GENERIC_JSON = 0x4006;

    // singularity puts every object in group 1; the format stores group ids with the high nibble set
    private static final int GROUP_ONE = 0xf0000001;
    private static final int EXTRA_SIZE = 384;
    private static final int FS_SQUASH = 1;
    private static final int PART_PRIMSYS = 2;

    /** Writes the descriptor at the buffer's position, which must be little-endian. */
    void encode(ByteBuffer out) {
        int start = out.position();
        out.putInt(dataType).put((byte) 1).putInt(id).putInt(GROUP_ONE).putInt(0);
        out.putLong(offset).putLong(size).putLong(sizeWithPadding).putLong(time).putLong(time);
        out.putLong(0).putLong(0); // uid and gid are deprecated and always zero
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length >= NAME_SIZE) {
            throw new IllegalArgumentException("SIF object name too long: " + name);
        }
        out.put(nameBytes).position(out.position() + NAME_SIZE - nameBytes.length);
        int extraStart = out.position();
        if (partitionArch != null) {
            out.putInt(FS_SQUASH).putInt(PART_PRIMSYS).put(partitionArch.codeBytes());
        }
        out.position(extraStart + EXTRA_SIZE);
        assert out.position() - start == SIZE;
    }
}
