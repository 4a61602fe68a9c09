/**
 * The examples and the code table of the seed documents (`../shared/seeds/antom-v1-capture-api.md`,
 * `alipay-ams-v1-capture-api.txt`, `antom-capture-guide.md`), copied verbatim so the tests run
 * from a clean clone. `seed-fixtures.test.ts` checks them against the seeds when those exist.
 */

/** "Request — CAPTURE_SUCCESSFUL", as printed (field order included). */
export const SEED_CAPTURE_REQUEST = `{
  "paymentId": "20220919194010890100111740275820195",
  "captureRequestId": "capture_cangxi_lj_20220920_005914_845",
  "captureAmount": {
    "currency": "HKD",
    "value": "10"
  }
}`;

/** "Request — CAPTURE_RELATED_AIRLINE_INFO". */
export const SEED_AIRLINE_REQUEST = `{
  "captureAmount": {
    "currency": "SGD",
    "value": "2"
  },
  "captureRequestId": "CAPTURE_qiyue202501092206",
  "captureType": "FINAL",
  "paymentId": "20250109194010800100188580271422374",
  "transit": {
    "agentCode": "98222147",
    "agentName": "Antom Vacations",
    "legs": [
      {
        "arrivalAddress": {
          "address1": "Gongzhuan road",
          "address2": "wen yi road2",
          "city": "hz",
          "region": "CN",
          "state": "zj",
          "zipCode": "518000"
        },
        "arrivalAirportCode": "SZX",
        "arrivalTime": "2025-05-16T12:01:01+08:00",
        "carrierName": "Antom vacations",
        "carrierNo": "AA",
        "couponNumber": "1",
        "departureAddress": {
          "address1": "Gongzhuan road",
          "address2": "wen yi road2",
          "city": "hz",
          "region": "CN",
          "state": "zj",
          "zipCode": "100000"
        },
        "departureAirportCode": "HGH",
        "fareBasis": "HL7WNR",
        "flightNumber": "20241"
      }
    ],
    "passenger": {
      "passengerName": {
        "firstName": "Lei",
        "fullName": "Lei Li",
        "lastName": "Li"
      }
    },
    "restrictedTicketIndicator": "0",
    "ticketNumber": "02721187251",
    "transitType": "FLIGHT"
  }
}`;

/** "Response", the answer to CAPTURE_SUCCESSFUL. */
export const SEED_CAPTURE_RESPONSE = `{
  "acquirerReferenceNo": "2022091919031300010740267587902",
  "result": {
    "resultStatus": "S",
    "resultCode": "SUCCESS",
    "resultMessage": "success."
  },
  "captureTime": "2022-09-19T09:59:17-07:00",
  "paymentId": "20220919194010890100111740275820195",
  "captureRequestId": "capture_cangxi_lj_20220920_005914_845",
  "captureId": "20220919194010890100111740275850565",
  "captureAmount": {
    "currency": "HKD",
    "value": "10"
  }
}`;

/** The guide's notifyCapture sample. */
export const SEED_NOTIFY_CAPTURE = `{
  "captureAmount": {
    "currency": "USD",
    "value": "2000"
  },
  "captureId": "2024121219********670209694544",
  "captureRequestId": "4c6c8ffd-*******eeb5af0e3f4",
  "captureTime": "2024-12-11T23:34:03-08:00",
  "paymentId": "20241212********0211082739",
  "notifyType": "CAPTURE_RESULT",
  "result": {
    "resultCode": "SUCCESS",
    "resultMessage": "success.",
    "resultStatus": "S"
  }
}`;

/** The capture API's "Result/Error codes" table: code → value (S/F/U). */
export const SEED_CAPTURE_CODES: Readonly<Record<string, 'S' | 'F' | 'U'>> = {
  SUCCESS: 'S',
  ACCESS_DENIED: 'F',
  AUTH_CANCELLED: 'F',
  AUTH_EXPIRED: 'F',
  AUTH_NOT_FOUND: 'F',
  CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT: 'F',
  CAPTURE_IN_PROCESS: 'U',
  CURRENCY_NOT_SUPPORT: 'F',
  MULTI_CAPTURE_NOT_SUPPORTED: 'F',
  INVALID_CONTRACT: 'F',
  NO_PAY_OPTIONS: 'F',
  ORDER_IS_CANCELED: 'F',
  ORDER_STATUS_INVALID: 'F',
  PARAM_ILLEGAL: 'F',
  PAYMENT_COUNT_EXCEED_LIMIT: 'F',
  PROCESS_FAIL: 'F',
  REPEAT_REQ_INCONSISTENT: 'F',
  RISK_REJECT: 'F',
  USER_AMOUNT_EXCEED_LIMIT: 'F',
  USER_BALANCE_NOT_ENOUGH: 'F',
  USER_NOT_EXIST: 'F',
  USER_STATUS_ABNORMAL: 'F',
  UNKNOWN_EXCEPTION: 'U',
};

/** Common codes any AMS call may return (PROTOCOLS.md §A). */
export const COMMON_CODES = [
  'SIGNATURE_INVALID',
  'KEY_NOT_FOUND',
  'CLIENT_INVALID',
  'INVALID_API',
  'REQUEST_TRAFFIC_EXCEED_LIMIT',
  'METHOD_NOT_SUPPORTED',
  'MEDIA_TYPE_NOT_ACCEPTABLE',
  'SYSTEM_ERROR',
  'UNKNOWN_EXCEPTION',
] as const;
