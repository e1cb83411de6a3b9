package io.midge.server.tls;

import java.io.ByteArrayOutputStream;

/**
 * Wraps traditional OpenSSL private keys into the PKCS#8 structure Java's KeyFactory reads:
 * {@code SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING key }} (RFC 5208).
 */
final class Pkcs8 {

    private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");
    private static final byte[] EC_PUBLIC_KEY_OID = hex("06072a8648ce3d0201");

    private Pkcs8() {}

    static byte[] wrapRsa(byte[] pkcs1) {
        return wrap(RSA_ALGORITHM, pkcs1);
    }

    /** SEC1 keys name their curve in the optional [0] field, which PKCS#8 moves into the AlgorithmIdentifier. */
    static byte[] wrapEc(byte[] sec1) throws TlsSetupException {
        byte[] curveOid = sec1CurveOid(sec1);
        byte[] algorithm = tlv(0x30, concat(EC_PUBLIC_KEY_OID, curveOid));
        return wrap(algorithm, sec1);
    }

    private static byte[] wrap(byte[] algorithmIdentifier, byte[] key) {
        byte[] version = {0x02, 0x01, 0x00};
        return tlv(0x30, concat(version, algorithmIdentifier, tlv(0x04, key)));
    }

    /** Walks ECPrivateKey ::= SEQUENCE { version, privateKey OCTET STRING, [0] parameters, [1] publicKey }. */
    private static byte[] sec1CurveOid(byte[] sec1) throws TlsSetupException {
        Der outer = new Der(sec1, 0);
        int position = outer.contentStart;
        int end = outer.contentStart + outer.length;
        while (position < end) {
            Der field = new Der(sec1, position);
            if ((sec1[position] & 0xff) == 0xa0) {
                Der oid = new Der(sec1, field.contentStart);
                byte[] out = new byte[oid.totalLength()];
                System.arraycopy(sec1, field.contentStart, out, 0, out.length);
                return out;
            }
            position = field.contentStart + field.length;
        }
        throw new TlsSetupException("EC private key does not name its curve; convert it with 'openssl pkcs8 -topk8 -nocrypt'.");
    }

    /** One DER tag-length header. */
    private static final class Der {
        final int start;
        final int contentStart;
        final int length;

        Der(byte[] data, int start) {
            this.start = start;
            int first = data[start + 1] & 0xff;
            if (first < 0x80) {
                length = first;
                contentStart = start + 2;
            } else {
                int count = first & 0x7f;
                int value = 0;
                for (int i = 0; i < count; i++) {
                    value = (value << 8) | (data[start + 2 + i] & 0xff);
                }
                length = value;
                contentStart = start + 2 + count;
            }
        }

        int totalLength() {
            return contentStart - start + length;
        }
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] hex(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}
