/*
 * xtest's view of OP-TEE's configuration (mk/xtest.mk).
 *
 * xtest is compiled with `-include conf.h`, the TA dev kit's list of
 * OP-TEE's CFG_ macros; this directory comes first on the include path,
 * so this file is found instead and passes the real one through.
 *
 * CFG_PKCS11_TA: OP-TEE has its PKCS#11 TA, but xtest's PKCS#11 suite
 * needs a newer PKCS#11 client than Debian 12's libckteec (optee-client
 * 3.19: its pkcs11.h lacks CK_RSA_AES_KEY_WRAP_PARAMS, which
 * pkcs11_1000.c uses). optee_test's make variable CFG_PKCS11_TA=n leaves
 * the suite's source out, but xtest_main.c asks the C macro, which the
 * real conf.h defines: without the macro too, xtest would not link.
 */
#include_next <conf.h>
#undef CFG_PKCS11_TA
