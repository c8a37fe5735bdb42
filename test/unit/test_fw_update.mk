test_fw_update_SRCS := policy/fw_update.c
