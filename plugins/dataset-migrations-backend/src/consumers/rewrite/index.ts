export { SqlConsumerAgent } from './SqlConsumerAgent';
export { verifyParity, type VerifyParityOptions } from './verifyParity';
