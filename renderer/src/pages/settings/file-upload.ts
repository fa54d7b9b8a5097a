/**
 * Reads a file the user picked as base64, the form `calendar.import` and `questionnaire.import`
 * take (small files sent whole); larger lists go through the chunked upload in api/upload.ts.
 */
export { blobToBase64 as readFileAsBase64 } from '../../api/upload';
