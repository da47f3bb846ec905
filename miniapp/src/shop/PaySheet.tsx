// The devpay sheet is shared with the care subpackage; it lives in components/.
export { useDevpaySheet } from '../components/DevpaySheet';
